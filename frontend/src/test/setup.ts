import '@testing-library/jest-dom/vitest'
import { cleanup, configure } from '@testing-library/react'
import { afterEach } from 'vitest'
import { i18nReady, loadLanguage } from '../i18n'

// findBy/waitFor give up after 5 s rather than 1 s: lazy routes load their
// modules on first use, and CI shares two cores with a browser and a server.
configure({ asyncUtilTimeout: 5_000 })

afterEach(() => {
  cleanup()
  localStorage.clear()
})

// jsdom lacks what Mantine reads at start.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
})
class ResizeObserverStub {
  observe() {
    // jsdom never resizes
  }
  unobserve() {
    // nothing observed
  }
  disconnect() {
    // nothing to release
  }
}
window.ResizeObserver = ResizeObserverStub
window.HTMLElement.prototype.scrollIntoView = () => undefined
// Mantine's autosizing textarea listens for web fonts, which jsdom lacks.
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', {
    value: { addEventListener: () => undefined, removeEventListener: () => undefined },
  })
}

// Both languages' texts in before any test renders (the app loads them on demand).
await i18nReady
await loadLanguage('fr')
