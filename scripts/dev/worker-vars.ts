// The Worker variables `npm start` hands to `wrangler dev` from its own environment: every `var` of the README's
// configuration table, so a local run can be configured like a deployment without editing wrangler.toml.

/** Every Worker var (wrangler.toml `[vars]`, the README's configuration table). */
export const WORKER_VARS = [
  'ENVIRONMENT',
  'DATABASE_DRIVER',
  'CLIP_URL',
  'PUBLIC_URL',
  'DNS_RESOLVER_URL',
  'TRUST_CLIENT_IP_HEADER',
  'REGISTRATIONS_PER_IP_PER_HOUR',
  'SIGN_INS_PER_IP_PER_15_MINUTES',
  'EMAIL_API_URL',
  'EMAIL_FROM',
] as const

export type WorkerVar = (typeof WORKER_VARS)[number]

/**
 * Local values that differ from wrangler.toml's (which describe the deployment): a local run is `development` (loopback
 * provider URLs allowed), and `wrangler dev` keeps a CF-Connecting-IP header the client sent, so locally no client-IP
 * header is trusted unless the environment says so.
 */
export const LOCAL_DEFAULTS: Partial<Record<WorkerVar, string>> = { ENVIRONMENT: 'development', TRUST_CLIENT_IP_HEADER: '' }

/**
 * `--var NAME:value` arguments for `wrangler dev`: `computed` values first (what `npm start` decided, e.g. the local
 * CLIP URL), then the environment, then the local defaults; a variable set nowhere keeps wrangler.toml's value.
 */
export function workerVarArgs(environment: NodeJS.ProcessEnv, computed: Partial<Record<WorkerVar, string>> = {}): string[] {
  const args: string[] = []
  for (const name of WORKER_VARS) {
    const value = computed[name] ?? environment[name] ?? LOCAL_DEFAULTS[name]
    if (value !== undefined) args.push('--var', `${name}:${value}`)
  }
  return args
}
