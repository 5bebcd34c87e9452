import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Code, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Controller, useForm, type Control, type FieldErrors, type FieldValues, type Path, type UseFormRegister } from 'react-hook-form';
import { z } from 'zod';
import { bankAccountInputSchema, maskAccountNumber, type CarrierView } from '../../../../shared/domain/carriers/schema.ts';
import { errorAt } from '../../components/form/AddressFields.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { invoke, useCommand } from '../../lib/api.ts';
import { showRefusal, showSaved } from '../../lib/forms.ts';
import { useCan } from '../../lib/session.ts';
import { DialogActions } from '../../components/form/DialogActions.tsx';

interface FieldsProps<T extends FieldValues> {
  /** Path of the bank account object in the form ("bankAccount"). */
  prefix: string;
  control: Control<T>;
  register: UseFormRegister<T>;
  errors: FieldErrors<T>;
}

/** Routing number (ABA check digit validated), account number, type and holder. */
export function BankAccountFields<T extends FieldValues>({ prefix, control, register, errors }: FieldsProps<T>) {
  const p = (f: string) => `${prefix}.${f}` as Path<T>;
  const e = (f: string) => errorAt(errors, `${prefix}.${f}`);
  return (
    <Stack gap="xs">
      <Group grow align="flex-start">
        <TextInput label="Routing number" inputMode="numeric" maxLength={9} {...register(p('routingNumber'))} error={e('routingNumber')} />
        <TextInput label="Account number" inputMode="numeric" autoComplete="off" {...register(p('accountNumber'))} error={e('accountNumber')} />
      </Group>
      <Group grow align="flex-start">
        <Controller
          control={control}
          name={p('accountType')}
          render={({ field }) => (
            <Select
              label="Account type"
              data={[
                { value: 'CHECKING', label: 'Checking' },
                { value: 'SAVINGS', label: 'Savings' },
              ]}
              allowDeselect={false}
              value={(field.value) ?? 'CHECKING'}
              onChange={(v) => field.onChange(v)}
            />
          )}
        />
        <TextInput label="Account holder" {...register(p('holderName'))} error={e('holderName')} />
      </Group>
    </Stack>
  );
}

const changeSchema = z.object({ bankAccount: bankAccountInputSchema });
type ChangeValues = z.input<typeof changeSchema>;

/** An existing carrier's bank account: masked; changed through its own audited command. */
export function BankAccountPanel({ carrier }: { carrier: CarrierView }) {
  const canChange = useCan('carriers.bank.write');
  const canReveal = useCan('carriers.bank.reveal');
  const setBank = useCommand('carriers.setBankAccount');
  const [editing, setEditing] = useState(false);
  const [revealed, setRevealed] = useState<string | null>(null);
  const form = useForm<ChangeValues>({ resolver: zodResolver(changeSchema) });

  useEffect(() => {
    if (!revealed) return;
    const timer = setTimeout(() => setRevealed(null), 30_000);
    return () => clearTimeout(timer);
  }, [revealed]);

  const open = () => {
    form.reset({ bankAccount: { routingNumber: '', accountNumber: '', accountType: 'CHECKING', holderName: carrier.bankAccountHolder ?? carrier.companyName } });
    setEditing(true);
  };
  const save = form.handleSubmit(async (values) => {
    try {
      await setBank.mutateAsync({ id: carrier.id, expectedVersion: carrier.version, bankAccount: values.bankAccount });
      showSaved(`Bank account of ${carrier.companyName} was changed`);
      setEditing(false);
    } catch (error) {
      showRefusal(error, form.setError, 'Bank account not changed');
    }
  });
  const remove = async () => {
    try {
      await setBank.mutateAsync({ id: carrier.id, expectedVersion: carrier.version, bankAccount: null });
      showSaved(`Bank account of ${carrier.companyName} was removed`);
    } catch (error) {
      showRefusal(error, undefined, 'Bank account not removed');
    }
  };
  const reveal = async () => {
    try {
      setRevealed((await invoke('carriers.revealBankAccount', { id: carrier.id })).accountNumber);
    } catch (error) {
      showRefusal(error, undefined, 'Not shown');
    }
  };

  return (
    <Stack gap="xs">
      {carrier.bankAccountLast4 ? (
        <Stack gap={2} aria-label="Bank account on file">
          <Text size="sm">
            Routing <Code>{carrier.bankRoutingNumber}</Code> · Account <Code>{revealed ?? maskAccountNumber(carrier.bankAccountLast4)}</Code> ·{' '}
            {carrier.bankAccountType === 'SAVINGS' ? 'Savings' : 'Checking'}
          </Text>
          <Text size="sm" c="dimmed">
            Holder: {carrier.bankAccountHolder}
            {carrier.bankChangedAt ? ` · changed ${new Date(carrier.bankChangedAt).toLocaleDateString()}` : ''}
          </Text>
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          No bank account on file; this carrier is paid by check.
        </Text>
      )}
      <Group gap="xs">
        {canReveal && carrier.bankAccountLast4 && !revealed ? (
          <Button size="xs" variant="subtle" onClick={() => void reveal()}>
            Show full number
          </Button>
        ) : null}
        {canChange ? (
          <Button size="xs" variant="light" onClick={open}>
            {carrier.bankAccountLast4 ? 'Change bank account' : 'Add bank account'}
          </Button>
        ) : null}
        {canChange && carrier.bankAccountLast4 ? (
          <ConfirmButton color="red" label="Remove bank account" confirm="Remove this bank account? The carrier will be paid by check until a new one is entered." onConfirm={remove} />
        ) : null}
      </Group>
      <Modal opened={editing} onClose={() => setEditing(false)} title={`Bank account · ${carrier.companyName}`} size="lg">
        <form onSubmit={(e) => void save(e)} noValidate>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              Confirm new bank details with the carrier by phone on a number you already have, not one from the request.
            </Text>
            <BankAccountFields prefix="bankAccount" control={form.control} register={form.register} errors={form.formState.errors} />
            <DialogActions onCancel={() => setEditing(false)} submitLabel="Save bank account" loading={form.formState.isSubmitting} />
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
