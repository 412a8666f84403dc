/**
 * The version of the run-config schema (`configSchema` in config.ts). Queue jobs carry it; a worker
 * rejects jobs from a submitter with another version. Bump it when a config key changes meaning.
 */
export const CONFIG_SCHEMA_VERSION = 1;
