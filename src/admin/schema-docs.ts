/**
 * For routes whose body is checked by the domain's own checker (fault rules, world seeds): the
 * schema documents the body in the API docs, and the checker reports problems the same way on every
 * channel (env, admin API, header).
 */
export const documentOnly = () => () => true
