// chrome.i18n.getMessage over the real extension/_locales/en/messages.json, as the browsers do it
// for our messages ($NAME$ placeholders -> $1.. substitutions). Import it before any extension
// module: extension/lib/browser.js reads the namespace when it loads. A missing key gives ''.
import { readFileSync } from 'node:fs';

export const MESSAGES = JSON.parse(readFileSync(new URL('../../../extension/_locales/en/messages.json', import.meta.url), 'utf8'));

globalThis.chrome = {
  ...globalThis.chrome,
  i18n: {
    getMessage(key, subs = []) {
      const m = MESSAGES[key];
      if (!m) return '';
      return m.message.replace(/\$([A-Z0-9_]+)\$/gi, (_, name) => {
        const content = m.placeholders?.[name.toLowerCase()]?.content ?? '';
        return content.replace(/\$(\d)/g, (__, i) => subs[Number(i) - 1] ?? '');
      });
    },
  },
};
