import AjvCompiler from '@fastify/ajv-compiler'
import SerializerSelector from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>
type ValidatorFactory = ReturnType<typeof AjvCompiler>
type SerializerFactory = ReturnType<typeof SerializerSelector>

interface Validate {
  (data: unknown): unknown
  errors?: unknown
}

/**
 * Fastify's own compilers (Ajv, fast-json-stringify), each route's schemas compiled the first time
 * a request needs them instead of at start-up: compiling the ~50 request and response schemas took
 * ~110 ms of every start, and most runs use a handful of routes. The first request to a route pays
 * its few milliseconds; the schemas are fixed and tested, so none can fail later than it would have.
 */
export function lazyCompilers(): CompilersFactory {
  const buildValidator: ValidatorFactory = AjvCompiler()
  const buildSerializer: SerializerFactory = SerializerSelector()
  return {
    buildValidator: (externalSchemas, options) => {
      const compile = buildValidator(externalSchemas, options)
      return (route) => {
        let validate: Validate | undefined
        const lazy: Validate = (data) => {
          validate ??= compile(route) as Validate
          const valid = validate(data)
          // Fastify reads the errors off the function it was given.
          lazy.errors = validate.errors
          return valid
        }
        return lazy
      }
    },
    buildSerializer: (externalSchemas, options) => {
      const compile = buildSerializer(externalSchemas, options)
      return (route) => {
        let serialize: ((data: unknown) => string) | undefined
        return (data: unknown) => (serialize ??= compile(route))(data)
      }
    },
  } as CompilersFactory
}
