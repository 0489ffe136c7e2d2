// Namespaces: everything the page knows about them is here. GET /__admin/namespaces lists them;
// the picked one goes as X-Mock-Namespace on every admin call, the event stream and the page's own
// KooDrive calls. A tab opened at /__admin/?namespace=worker-3 starts in worker-3 (made on its first
// call if it is new); the pick is kept per tab. An emulator without the route (404) has only default.
const KEY = 'koodrive-mock.namespace'
const DEFAULT_NAMESPACE = 'default'

let supported = false
let current = new URLSearchParams(location.search).get('namespace') ?? sessionStorage.getItem(KEY) ?? DEFAULT_NAMESPACE

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
  // A namespace named by the tab's URL that does not exist yet is offered too: picking it makes it.
  if (!namespaces.some((namespace) => namespace.name === current)) return [...namespaces, { name: current }]
  return namespaces
}
