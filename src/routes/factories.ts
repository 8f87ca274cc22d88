// The POST routes by name: the instance binds them to its configuration, the module-level API to the request's.
import type { RequestHandler } from 'express';
import { pathOption, rejectUnknownKeys } from '../config/checks';
import { refuseRequestAsOptions, type ConfigSource } from './config-source';
import type { RouteOptions } from './route-options';

export type { RouteOptions } from './route-options';
import { sendRoute } from './send';
import { verifyRoute } from './verify';
import { enrolSendRoute, enrolVerifyRoute, removePhoneRoute } from './enrol';
import { recoveryCodesRoute, recoveryRoute } from './recovery';
import {
  passkeyAuthenticationOptionsRoute, passkeyAuthenticationVerifyRoute, passkeyRegistrationOptionsRoute, passkeyRegistrationVerifyRoute, removePasskeyRoute,
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
} satisfies Record<string, (source: ConfigSource, options: RouteOptions) => RequestHandler>;

export type RouteName = keyof typeof BUILDERS;

/** `name(options?)` gives the route; mounted without the parentheses it says so instead of hanging the request. */
export function routeFactory(name: RouteName, source: ConfigSource): (options?: RouteOptions) => RequestHandler {
  return (...args: unknown[]) => {
    refuseRequestAsOptions(name, args[0]);
    const options = (args[0] ?? {}) as RouteOptions;
    if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError(`express-bandwidth-mfa: \`${name}(options)\` takes \`{ errorPath? }\`.`);
    rejectUnknownKeys(`${name}.`, options, ['errorPath']);
    return BUILDERS[name](source, { errorPath: options.errorPath === undefined ? undefined : pathOption(`${name}.errorPath`, options.errorPath, '/2fa') });
  };
}
