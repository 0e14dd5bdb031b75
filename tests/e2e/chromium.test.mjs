// End-to-end in real headless Debian Chromium (tests/e2e/lib/drivers.mjs), dist/demo/chrome loaded unpacked.
import { chromiumDriver } from './lib/drivers.mjs';
import { endToEnd } from './lib/scenarios.mjs';

endToEnd('Chromium', chromiumDriver());
