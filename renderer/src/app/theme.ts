import { Modal, createTheme, type MantineColorsTuple } from '@mantine/core';

const notchify: MantineColorsTuple = [
  '#e8f4ff', '#d3e4fa', '#a6c7f0', '#76a8e7', '#4e8ddf', '#357cda', '#2673d9', '#1762c1', '#0b57ad', '#004a99',
];

/** Dense, calm, high-contrast: a screen people read all day. */
export const theme = createTheme({
  primaryColor: 'notchify',
  colors: { notchify },
  fontFamily: 'Inter, "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: '"JetBrains Mono", "SF Mono", Consolas, "Liberation Mono", monospace',
  defaultRadius: 'sm',
  fontSizes: { xs: '12px', sm: '13px', md: '14px', lg: '16px', xl: '18px' },
  components: {
    TextInput: { defaultProps: { size: 'sm' } },
    Select: { defaultProps: { size: 'sm' } },
    Button: { defaultProps: { size: 'sm' } },
    // Every control has an accessible name; the kit's close button has none of its own.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});
