import { notifications } from '@mantine/notifications';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError } from './api.ts';

/**
 * Puts a refusal where the clerk looks: each field error next to its field (the engine names
 * fields by the same paths as the form), and the summary in a toast.
 */
export function showRefusal<T extends FieldValues>(
  error: unknown,
  setError?: UseFormSetError<T>,
  title = 'Not saved',
  options: { toast?: boolean } = {},
): void {
  if (error instanceof ApiError) {
    if (setError) {
      for (const [field, message] of Object.entries(error.fields)) {
        if (field !== '_') setError(field as Path<T>, { type: 'server', message });
      }
    }
    // A dialog that shows the refusal itself needs no toast repeating it.
    if (options.toast !== false) notifications.show({ color: 'red', title, message: error.message, autoClose: 8000 });
    return;
  }
  notifications.show({ color: 'red', title, message: 'Something went wrong. Nothing was saved; try again.' });
}

export function showSaved(message: string): void {
  notifications.show({ color: 'teal', title: 'Saved', message, autoClose: 2500 });
}
