// The options every POST route of the library takes, in a file of their own so the routes and their table do not import each other.

export interface RouteOptions {
  /**
   * Where browsers are sent with `?error=<code>&wait=<seconds>` when this route refuses: the page its form
   * is on (may carry a query, e.g. `/2fa?form=recovery`). Default: `challengePath`, or `enrolment.path` for
   * the enrolment routes. A browser that needs a code first always goes to `challengePath`.
   */
  errorPath?: string;
}
