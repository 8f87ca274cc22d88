// The options every route factory takes; apart from the factories so the route builders need not import them back.
export interface RouteOptions {
  /**
   * Where browsers are sent with `?error=<code>&wait=<seconds>` when this route refuses: the page its form
   * is on (may carry a query, e.g. `/2fa?form=recovery`). Default: `challengePath`, or `enrolment.path` for
   * the enrolment routes. A browser that needs a code first always goes to `challengePath`.
   */
  errorPath?: string;
}
