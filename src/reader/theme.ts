import { sanitizeCss } from '../ui/index.ts';

/** The theme stylesheet: the colour as the reader theme's accent (with a darker shade), then the custom CSS. */
export function themeStylesheet(colour: string | null, customCss: string | null): string {
  const parts: string[] = [];
  if (colour) parts.push(`:root { --accent: ${colour}; --accent-dark: ${darken(colour, 0.35)}; }`);
  // Sanitized when saved; again here, for CSS that reached the database another way.
  if (customCss) parts.push(sanitizeCss(customCss).css);
  return `${parts.join('\n')}\n`;
}

function darken(hex: string, amount: number): string {
  const channel = (i: number) => Math.round(parseInt(hex.slice(i, i + 2), 16) * (1 - amount)).toString(16).padStart(2, '0');
  return `#${channel(1)}${channel(3)}${channel(5)}`;
}
