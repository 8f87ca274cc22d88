// The built-in styles, served as an external file (`?asset=challenge.css`) so a CSP with `style-src 'self'` allows them.
//
// Scoped to the page's own classes (`mfa-`), so an app that wraps the page in its layout keeps its look.

export const CHALLENGE_STYLES = `/* express-bandwidth-mfa challenge page: readable on a phone first. */
.mfa-body { margin: 0; background: #f4f6f8; }
.mfa-main { max-width: 28rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
.mfa-challenge {
  --mfa-ink: #1d2430; --mfa-muted: #4f5968; --mfa-line: #cfd5dd; --mfa-accent: #0b5cad;
  --mfa-error: #b3261e; --mfa-ok: #1e6b3a; --mfa-focus: #f0b400;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--mfa-ink); line-height: 1.5; font-size: 1rem;
}
.mfa-challenge *, .mfa-challenge *::before, .mfa-challenge *::after { box-sizing: border-box; }
.mfa-challenge h1 { font-size: 1.5rem; margin: 0.5rem 0 1rem; }
.mfa-card { background: #ffffff; border: 1px solid var(--mfa-line); border-radius: 0.5rem; padding: 1rem; margin: 0 0 1rem; }
.mfa-card.mfa-secondary { background: transparent; }
.mfa-card > :first-child, .mfa-card > input[type="hidden"]:first-child + * { margin-top: 0; }
.mfa-card > :last-child { margin-bottom: 0; }
.mfa-challenge label { display: block; font-weight: 600; margin: 0 0 0.25rem; }
.mfa-challenge p { margin: 0.5rem 0; }
.mfa-code {
  display: block; width: 100%; max-width: 14rem; margin: 0.5rem 0;
  font: inherit; font-size: 1.75rem; letter-spacing: 0.3em; font-variant-numeric: tabular-nums;
  padding: 0.5rem 0.7rem; border: 1px solid #7a8494; border-radius: 0.375rem; background: #ffffff; color: inherit;
}
.mfa-code[aria-invalid="true"] { border-color: var(--mfa-error); border-width: 2px; }
.mfa-challenge input:focus-visible, .mfa-challenge button:focus-visible, .mfa-challenge a:focus-visible {
  outline: 3px solid var(--mfa-focus); outline-offset: 2px;
}
.mfa-challenge fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
.mfa-challenge legend { font-weight: 600; padding: 0; margin-bottom: 0.25rem; }
.mfa-choice, .mfa-check { display: flex; align-items: center; gap: 0.5rem; margin: 0.5rem 0; }
.mfa-choice label, .mfa-check label { display: inline; font-weight: 400; margin: 0; }
.mfa-choice input, .mfa-check input { width: 1.25rem; height: 1.25rem; margin: 0; flex: none; }
.mfa-challenge button {
  display: inline-block; margin-top: 0.75rem; min-height: 2.75rem; padding: 0.6rem 1.25rem;
  font: inherit; font-weight: 600; border: 1px solid var(--mfa-accent); border-radius: 0.375rem;
  background: var(--mfa-accent); color: #ffffff; cursor: pointer;
}
.mfa-challenge button.mfa-secondary { background: #ffffff; color: var(--mfa-accent); }
.mfa-challenge button:disabled { background: #c3c9d1; color: #3b4350; border-color: #c3c9d1; cursor: not-allowed; }
.mfa-hint { color: var(--mfa-muted); font-size: 0.95rem; }
.mfa-error { color: var(--mfa-error); font-weight: 600; }
.mfa-notice { border-left: 4px solid var(--mfa-ok); background: #e8f4ec; padding: 0.5rem 0.75rem; margin: 0 0 1rem; }
.mfa-challenge a { color: var(--mfa-accent); }
.mfa-warning { border-left: 4px solid var(--mfa-focus); background: #fff6db; padding: 0.5rem 0.75rem; margin: 0 0 1rem; }
.mfa-sign-out { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem; margin: -0.75rem 0 0.5rem; color: var(--mfa-muted); }
.mfa-sign-out a { display: inline-flex; align-items: center; min-height: 2.75rem; }
.mfa-challenge button.mfa-link {
  margin: 0; min-height: 2.75rem; padding: 0 0.25rem; border: 0; background: none; color: var(--mfa-accent);
  font-weight: 400; text-decoration: underline;
}
.mfa-text {
  display: block; width: 100%; margin: 0.5rem 0; font: inherit; font-size: 1.125rem;
  padding: 0.5rem 0.7rem; border: 1px solid #7a8494; border-radius: 0.375rem; background: #ffffff; color: inherit;
}
.mfa-text[aria-invalid="true"] { border-color: var(--mfa-error); border-width: 2px; }
.mfa-challenge summary { cursor: pointer; font-weight: 600; color: var(--mfa-accent); min-height: 1.5rem; }
.mfa-challenge summary:focus-visible { outline: 3px solid var(--mfa-focus); outline-offset: 2px; }
.mfa-challenge details[open] > summary { margin-bottom: 0.5rem; }
`;
