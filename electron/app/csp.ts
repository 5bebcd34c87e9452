/**
 * The renderer's Content Security Policy, for both hosts: scripts only from the app itself, no
 * eval, no plugins, no framing. Styles allow inline because the component kit sets CSS
 * variables in a style element at run time; scripts never do.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
].join('; ');
