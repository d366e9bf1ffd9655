import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/**
 * zod with `.openapi()`: extended once, here, before any schema that names itself a component
 * is declared. Modules that declare such schemas import `z` from this file.
 */
extendZodWithOpenApi(z);

export { z };
