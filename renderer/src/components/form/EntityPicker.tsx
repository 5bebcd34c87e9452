import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useCommandQuery } from '../../lib/api.ts';

interface Props {
  kind: 'customers.options' | 'carriers.options';
  label?: string;
  'aria-label'?: string;
  placeholder: string;
  value: string | null;
  /** The chosen record's name when the picker opens on an existing value. */
  valueLabel?: string | null;
  onChange(id: string | null, name: string | null): void;
  error?: string;
  readOnly?: boolean;
  w?: number | string;
  clearable?: boolean;
}

/** Type a few letters, pick a customer or carrier; the engine does the searching. */
export function EntityPicker({ kind, label, placeholder, value, valueLabel, onChange, error, readOnly, w, clearable = true, ...rest }: Props) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 150);
  const [chosen, setChosen] = useState<{ id: string; name: string } | null>(value && valueLabel ? { id: value, name: valueLabel } : null);
  const options = useCommandQuery(kind, { search: debounced }, { placeholderData: (previous) => previous });
  const data = (options.data ?? []).map((o) => ({ value: o.id, label: o.name, detail: o.detail }));
  if (value && chosen?.id === value && !data.some((d) => d.value === value)) data.unshift({ value, label: chosen.name, detail: '' });
  return (
    <Select
      label={label}
      aria-label={rest['aria-label']}
      placeholder={placeholder}
      data={data}
      value={value}
      searchable
      clearable={clearable}
      readOnly={readOnly}
      w={w}
      filter={({ options: opts }) => opts}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={options.isFetching ? 'Searching…' : 'Nothing found'}
      error={error}
      renderOption={({ option }) => {
        const detail = data.find((d) => d.value === option.value)?.detail;
        return (
          <span>
            {option.label}
            {detail ? <span style={{ color: 'var(--mantine-color-dimmed)', fontSize: 12 }}> · {detail}</span> : null}
          </span>
        );
      }}
      onChange={(id, option) => {
        const name = (option as { label?: string } | null)?.label ?? null;
        setChosen(id && name ? { id, name } : null);
        onChange(id, name);
      }}
    />
  );
}
