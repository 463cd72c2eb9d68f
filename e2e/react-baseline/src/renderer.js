// Griffel (Fluent UI v9's CSS-in-JS) normally writes its rules into <style> elements it adds to
// the page, and FluentProvider writes its theme (CSS variables) the same way. dealpane-server's
// Content-Security-Policy (`style-src 'self'`, no 'unsafe-inline') blocks both, so the cards would
// render unstyled. This renderer does the same work, inserting each rule into a stylesheet, but
// into constructed stylesheets adopted by the document, which that policy does not govern: one
// per Griffel bucket, in Griffel's bucket order, so the cascade is the one Griffel intends. The
// theme's variables go into the first one. (A React + Fluent widget behind this policy would need
// a nonce, or its CSS extracted at build time, instead.)

import { createDOMRenderer } from "@fluentui/react-components";
import { normalizeCSSBucketEntry, styleBucketOrdering } from "@griffel/core";

export function adoptedSheetsRenderer(theme, themeSelector) {
  const sheets = Object.fromEntries(styleBucketOrdering.map((bucket) => [bucket, new CSSStyleSheet()]));
  const variables = Object.entries(theme).map(([name, value]) => `--${name}: ${value};`);
  sheets.r.insertRule(`${themeSelector} { ${variables.join(" ")} }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, ...Object.values(sheets)];

  const renderer = createDOMRenderer(document);
  renderer.insertCSSRules = (cssRules) => {
    for (const bucket in cssRules) {
      const sheet = sheets[bucket] ?? sheets.d;
      for (const entry of cssRules[bucket]) {
        const [css] = normalizeCSSBucketEntry(entry);
        if (renderer.insertionCache[css]) continue;
        renderer.insertionCache[css] = bucket;
        try {
          sheet.insertRule(css, sheet.cssRules.length);
        } catch {
          // A rule this browser cannot parse (a vendor prefix): Griffel skips those too.
        }
      }
    }
  };
  return renderer;
}
