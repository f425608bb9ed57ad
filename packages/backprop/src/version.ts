/** The engine's version, as receipts record it; kept equal to package.json's by version.test.ts. */
export const ENGINE_VERSION = '0.1.1';
