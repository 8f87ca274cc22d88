// The POST routes by name, each checking its options when it is mounted and then bound to a configuration.
import type { RequestHandler } from 'express';
import type { MfaConfig } from '../options';
import { pathOption, rejectUnknownKeys } from '../config/checks';
import { refuseRequestAsOptions } from './config-source';
import type { RouteOptions } from './route-options';
import { sendRoute } from './send';
import { verifyRoute } from './verify';
import { enrolSendRoute, enrolVerifyRoute, removePhoneRoute } from './enrol';
import { recoveryCodesRoute, recoveryRoute } from './recovery';
import { LOG_PREFIX } from '../log-prefix';
import {
  passkeyAuthenticationOptionsRoute,
  passkeyAuthenticationVerifyRoute,
  passkeyRegistrationOptionsRoute,
  passkeyRegistrationVerifyRoute,
  removePasskeyRoute,
} from './passkeys';

const BUILDERS = {
  sendCodeRoute: sendRoute,
  verifyCodeRoute: verifyRoute,
  enrolSendRoute,
  enrolVerifyRoute,
  removePhoneRoute,
  recoveryRoute,
  recoveryCodesRoute,
  passkeyRegistrationOptionsRoute,
  passkeyRegistrationVerifyRoute,
  passkeyAuthenticationOptionsRoute,
  passkeyAuthenticationVerifyRoute,
  removePasskeyRoute,
} satisfies Record<string, (config: MfaConfig, options: RouteOptions) => RequestHandler>;

export type RouteName = keyof typeof BUILDERS;

/** The options of `name(options?)`, checked now; mounted without the parentheses it says so instead of hanging the request. */
export function routeBuilder(name: RouteName, args: unknown[]): (config: MfaConfig) => RequestHandler {
  refuseRequestAsOptions(name, args[0]);
  const options = (args[0] ?? {}) as RouteOptions;
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new TypeError(`${LOG_PREFIX}\`${name}(options)\` takes \`{ errorPath? }\`.`);
  rejectUnknownKeys(`${name}.`, options, ['errorPath']);
  const checked = { errorPath: options.errorPath === undefined ? undefined : pathOption(`${name}.errorPath`, options.errorPath, '/2fa') };
  return (config) => BUILDERS[name](config, checked);
}
