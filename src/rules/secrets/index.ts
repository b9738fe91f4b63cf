// Explicit registry of the secrets rules: one import and one list entry per rule.
import type { Rule } from '../../core/rule.ts';
import credentialsInConfigmap from './credentials-in-configmap.ts';
import secretInEnvVar from './secret-in-env-var.ts';
import secretLiteralInEnv from './secret-literal-in-env.ts';

export const secretsRules: readonly Rule[] = [credentialsInConfigmap, secretInEnvVar, secretLiteralInEnv];
