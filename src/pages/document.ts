// The page's `<head>` pieces and the default layout: a minimal HTML document around the sections.
import { html, trustedHtml, type SafeHtml } from './html';
import { assetUrl } from './assets';
import type { ChallengePagePieces, PageSettings } from './page-options';

/** The stylesheet (ours, the app's, or none) and the scripts: external files, nothing inline. */
export function headPieces(settings: PageSettings, passkeys = false): SafeHtml {
  const stylesheet = settings.stylesheet === undefined ? assetUrl('challenge.css') : settings.stylesheet;
  return html`${
    stylesheet !== false &&
    html`<link rel="stylesheet" href="${stylesheet}">
`
  }<script src="${assetUrl('challenge.js')}" defer></script>${
    passkeys &&
    html`
<script src="${assetUrl('webauthn.js')}" defer></script>
<script src="${assetUrl('passkey.js')}" defer></script>`
  }`;
}

export function defaultLayout(pieces: ChallengePagePieces): string {
  return html`<!doctype html>
<html lang="${pieces.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${pieces.title}</title>
${trustedHtml(pieces.head)}
</head>
<body class="mfa-body">
<main class="mfa-main">
${trustedHtml(pieces.body)}
</main>
</body>
</html>
`.text;
}
