import { Grid, Select, TextInput } from '@mantine/core';
import { Controller, type Control, type FieldErrors, type FieldValues, type Path, type UseFormRegister } from 'react-hook-form';
import { US_STATES } from '../../../../shared/domain/validation/us-states.ts';

export const STATE_OPTIONS = Object.entries(US_STATES).map(([value, name]) => ({ value, label: `${value} · ${name}` }));

interface Props<T extends FieldValues> {
  /** Field path of the address object, e.g. "billingAddress". */
  name: string;
  /** Accessible name of the group, e.g. "Billing address"; the fields inside are Street, City, State, ZIP. */
  label: string;
  control: Control<T>;
  register: UseFormRegister<T>;
  errors: FieldErrors<T>;
  readOnly?: boolean;
}

function errorAt(errors: FieldErrors, path: string): string | undefined {
  let node: unknown = errors;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  const message = (node as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}

export function AddressFields<T extends FieldValues>({ name, label, control, register, errors, readOnly }: Props<T>) {
  const p = (field: string) => `${name}.${field}` as Path<T>;
  const e = (field: string) => errorAt(errors, `${name}.${field}`);
  return (
    <Grid gap="xs" role="group" aria-label={label}>
      <Grid.Col span={12}>
        <TextInput label="Street" readOnly={readOnly} {...register(p('line1'))} error={e('line1')} />
      </Grid.Col>
      <Grid.Col span={12}>
        <TextInput label="Line 2" readOnly={readOnly} {...register(p('line2'))} error={e('line2')} />
      </Grid.Col>
      <Grid.Col span={5}>
        <TextInput label="City" readOnly={readOnly} {...register(p('city'))} error={e('city')} />
      </Grid.Col>
      <Grid.Col span={4}>
        <Controller
          control={control}
          name={p('state')}
          render={({ field }) => (
            <Select
              label="State"
              data={STATE_OPTIONS}
              searchable
              readOnly={readOnly}
              value={(field.value) ?? null}
              onChange={(v) => field.onChange(v ?? '')}
              onBlur={field.onBlur}
              error={e('state')}
              comboboxProps={{ withinPortal: true }}
            />
          )}
        />
      </Grid.Col>
      <Grid.Col span={3}>
        <TextInput label="ZIP" readOnly={readOnly} {...register(p('zip'))} error={e('zip')} />
      </Grid.Col>
    </Grid>
  );
}

export { errorAt };
