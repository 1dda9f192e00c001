/*
 * How the tests launch Debian's Chromium (never a browser Playwright
 * downloads): shared by playwright.config.ts and the adoption test.
 */
'use strict';

module.exports = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  // Flags that work as root on a machine without outbound network.
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
