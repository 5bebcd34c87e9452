import { TextInput, type TextInputProps } from '@mantine/core';
import { useEffect, useState } from 'react';
import { formatAmount, parseDollars } from '../../../../shared/domain/money.ts';

interface Props extends Omit<TextInputProps, 'value' | 'onChange'> {
  value: number | null | undefined;
  /** Called with whole cents, or NaN while the text is not an amount (the schema then names the field). */
  onChange(cents: number): void;
}

/** Dollars typed as text and parsed exactly into cents: no float ever touches the amount. */
export function MoneyInput({ value, onChange, onBlur, ...rest }: Props) {
  const [text, setText] = useState(value === null || value === undefined || Number.isNaN(value) ? '' : formatAmount(value));
  useEffect(() => {
    if (value !== null && value !== undefined && !Number.isNaN(value) && parseDollars(text) !== value) {
      setText(formatAmount(value));
    }
    // Only an outside change of the value rewrites the text; typing must not be reformatted.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return (
    <TextInput
      {...rest}
      inputMode="decimal"
      leftSection="$"
      value={text}
      classNames={{ input: 'tabular' }}
      onChange={(e) => {
        setText(e.currentTarget.value);
        onChange(parseDollars(e.currentTarget.value) ?? Number.NaN);
      }}
      onBlur={(e) => {
        const cents = parseDollars(text);
        if (cents !== null) setText(formatAmount(cents));
        onBlur?.(e);
      }}
    />
  );
}
