import createClient, { type Client } from 'openapi-fetch'
import { signRequest } from '../koodrive/app-signature.js'
import { formatXDate } from '../koodrive/x-date.js'
import type { paths } from './openapi-types.js'

/** An operation whose header parameters the client fills in: the caller may still pass any of them. */
type WithHeadersFilled<Operation> = Operation extends { parameters: { header: infer Headers } }
  ? Omit<Operation, 'parameters'> & { parameters: Omit<Operation['parameters'], 'header'> & { header?: Partial<Headers> } }
  : Operation

/** The KooDrive routes of the OpenAPI document (not the admin API), typed from it (src/client/openapi-types.ts). */
export type KooDrivePaths = {
  [Path in keyof paths as Path extends `/koodrive/${string}` ? Path : never]: { [Method in keyof paths[Path]]: WithHeadersFilled<paths[Path][Method]> }
}

/** An openapi-fetch client of the KooDrive routes: `client.POST('/koodrive/ose/v1/share/tasks', { body })`. */
export type KooDriveClient = Client<KooDrivePaths>

interface ClientBasics {
  /** The server, e.g. `mock.url` (http://127.0.0.1:41235); the paths carry /koodrive/ose/v1. */
  baseUrl: string
  /** Sent as X-User-Id. */
  userId: string
  /** Sent as X-Hw-Agentname (the carrier variant needs one); default `koodrive-mock-client`. */
  agentName?: string
  /** Where X-Date comes from: the caller's clock, as a real client signs with its own. */
  now?: () => number
  /** Sent as X-Mock-Namespace: the emulator's namespace the calls go to (a test worker's own); `default` when absent. */
  namespace?: string
}

/** An app that signs requests (app authentication): a user's `apps` entry in the world. */
export interface SigningApp {
  appId: string
  appSecret: string
}

/** Authenticate with a bearer token, or sign every request with an app (one of the two). */
export type KooDriveClientOptions = ClientBasics &
  (
    | {
        /** Sent as `Authorization: Bearer <token>`. */
        token: string
        app?: undefined
      }
    | {
        /** Each request is signed with it (`Authorization: HMAC-SHA256 …`, signRequest) over the request as sent: method, URL, headers, body. */
        app: SigningApp
        token?: undefined
      }
  )

/**
 * A typed KooDrive client built on the OpenAPI document: paths, bodies and answers are the
 * document's types, and each request carries Authorization (a bearer token, or an app's signature),
 * X-User-Id, X-Hw-Agentname and an X-Date of now, unless the call gives its own.
 *
 * @example
 * const kd = createKooDriveClient({ baseUrl: mock.url, token: 'ann-token', userId: 'ann' })
 * const { data, error } = await kd.POST('/koodrive/ose/v1/share/tasks', {
 *   body: { taskType: 1, containerId: 'IAABh_RdhS8bOg0cA1684711052660690818', fileIds: ['Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'],
 *           shareId: '1689765568237837824', zipName: 'report.zip' },
 * })
 * data?.taskId   // a 19-digit string; error is {code, msg} or the gateway's envelope
 *
 * @example
 * // Signed with an app of the world instead of a bearer token:
 * const signed = createKooDriveClient({ baseUrl: mock.url, userId: 'ann', app: { appId: 'ann-app', appSecret: 'ann-app-secret' } })
 */
export function createKooDriveClient(options: KooDriveClientOptions): KooDriveClient {
  const client = createClient<KooDrivePaths>({ baseUrl: options.baseUrl.replace(/\/+$/, '') })
  const now = options.now ?? Date.now
  const { app } = options
  const fixed: [string, string][] = [
    ...(app === undefined ? [['Authorization', `Bearer ${options.token}`] as [string, string]] : []),
    ['X-User-Id', options.userId],
    ['X-Hw-Agentname', options.agentName ?? 'koodrive-mock-client'],
  ]
  if (options.namespace !== undefined) fixed.push(['X-Mock-Namespace', options.namespace])
  client.use({
    async onRequest({ request }) {
      for (const [name, value] of [...fixed, ['X-Date', formatXDate(now())] as [string, string]]) {
        if (!request.headers.has(name)) request.headers.set(name, value)
      }
      // Signed last, over the headers and body exactly as they will be sent; a call's own Authorization is sent as it is.
      if (app === undefined || request.headers.has('Authorization')) return request
      const body = request.body === null ? '' : await request.clone().text()
      const headers = Object.fromEntries(request.headers.entries())
      request.headers.set('Authorization', signRequest({ method: request.method, url: request.url, headers, body, ...app }).authorization)
      return request
    },
  })
  return client
}
