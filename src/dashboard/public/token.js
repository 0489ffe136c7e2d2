// MOCK_ADMIN_TOKEN: asked for once, on the first 401, and kept for this tab (sessionStorage: it
// goes when the tab closes and is never sent anywhere but the emulator's own admin API).
import { $ } from './dom.js'

const KEY = 'koodrive-mock.admin-token'

export const storedToken = () => sessionStorage.getItem(KEY)

let asking

/** Shows the token dialog and resolves with what was typed; one dialog however many calls wait. */
export function askForToken(reason) {
  asking ??= new Promise((resolve) => {
    const dialog = $('#token-dialog')
    const input = $('#token-input')
    $('#token-reason').textContent = reason
    input.value = ''
    dialog.addEventListener(
      'close',
      () => {
        asking = undefined
        if (input.value !== '') sessionStorage.setItem(KEY, input.value)
        resolve(storedToken())
      },
      { once: true },
    )
    dialog.showModal()
  })
  return asking
}
