// The credential provider the Lambda bundles use in place of the SDK's default chain (an esbuild alias in
// infra/constructs/signpost-function.ts). Lambda hands every function its role's credentials in
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, so the chain's other links (SSO, INI
// files, web identity, the instance metadata service and the STS/SSO clients they carry) never run
// there; dropping them removes about 100 KB from each bundle. Tests and local mode run from source and
// keep the full chain.
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
