// Namespaces (issue 14): everything the page knows about them is here. Until the emulator has
// GET /__admin/namespaces (a 404 today) there is only "default" and no header is sent; once it
// answers `{ namespaces: [{ name, createdAt, lastUsedAt, counts }] }`, the picked one goes as
// X-Mock-Namespace on every admin call, the event stream and the page's own KooDrive calls.
const KEY = 'koodrive-mock.namespace'
const DEFAULT_NAMESPACE = 'default'

let supported = false
let current = sessionStorage.getItem(KEY) ?? DEFAULT_NAMESPACE

export const currentNamespace = () => current

/** The header that selects the namespace, or none while the emulator has no namespaces. */
export const namespaceHeaders = () => (supported ? { 'X-Mock-Namespace': current } : {})

export function pickNamespace(name) {
  current = name
  sessionStorage.setItem(KEY, name)
}

/** The namespaces to offer: the emulator's list, or just "default" when it has none (404). */
export async function loadNamespaces(fetchAdmin) {
  const response = await fetchAdmin('/__admin/namespaces')
  if (response.status === 404) {
    supported = false
    current = DEFAULT_NAMESPACE
    return [{ name: DEFAULT_NAMESPACE }]
  }
  if (!response.ok) throw new Error(`GET /__admin/namespaces answered ${response.status}`)
  supported = true
  const { namespaces } = await response.json()
  if (!namespaces.some((namespace) => namespace.name === current)) current = DEFAULT_NAMESPACE
  return namespaces
}
