// Every path a workload reads or writes lives under ROOT in its container. Process mode maps
// ROOT to the workload's own folder under `.run/<stack>/`, so the args, env and config files it
// runs are the ones the containers get, with only this prefix changed.

export const ROOT = '/outpost';
/** Rendered config files (a ConfigMap or an upload). */
export const CONFIG_DIR = `${ROOT}/config`;
/** Credentials (a Secret volume), written owner-only in process mode. */
export const SECRETS_DIR = `${ROOT}/secrets`;
/** Persistent data (a PVC, a Docker volume, a run-dir folder). */
export const DATA_DIR = `${ROOT}/data`;
/** The filesystem bucket Thanos parts share on one host. */
export const BUCKET_DIR = `${ROOT}/bucket`;

/**
 * ROOT where it starts a path (not inside another word or URL path, such as a runbook link
 * `.../outpost-platform/outpost/blob/...`): what process mode rewrites and the checks follow.
 */
export const ROOT_PATTERN = /(?<![\w./-])\/outpost(?=\/|$|[\s"',])/g;
