/** Request bodies of the API are small JSON documents; anything bigger is refused (413). */
export const BODY_LIMIT = '16kb';
/** The same limit in bytes, as body-parser reads '16kb'. */
export const BODY_LIMIT_BYTES = 16 * 1024;
