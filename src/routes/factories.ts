// The POST routes by name: the instance binds them to its configuration, the module-level API to the request's.
import type { RequestHandler } from 'express';
import { refuseRequestAsOptions, type ConfigSource } from './config-source';
import { sendRoute } from './send';
import { verifyRoute } from './verify';
import { enrolSendRoute, enrolVerifyRoute, removePhoneRoute } from './enrol';
import { recoveryCodesRoute, recoveryRoute } from './recovery';

const BUILDERS = {
  sendCodeRoute: sendRoute,
  verifyCodeRoute: verifyRoute,
  enrolSendRoute,
  enrolVerifyRoute,
  removePhoneRoute,
  recoveryRoute,
  recoveryCodesRoute,
} satisfies Record<string, (source: ConfigSource) => RequestHandler>;

export type RouteName = keyof typeof BUILDERS;

/** `name()` gives the route; mounted without the parentheses it says so instead of hanging the request. */
export function routeFactory(name: RouteName, source: ConfigSource): (...args: unknown[]) => RequestHandler {
  return (...args) => {
    refuseRequestAsOptions(name, args[0]);
    return BUILDERS[name](source);
  };
}
