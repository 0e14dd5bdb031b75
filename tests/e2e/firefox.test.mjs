// End-to-end in real headless Firefox ESR (tests/e2e/lib/drivers.mjs), dist/demo/firefox as a temporary add-on.
import { firefoxDriver } from './lib/drivers.mjs';
import { endToEnd } from './lib/scenarios.mjs';

endToEnd('Firefox', firefoxDriver());
