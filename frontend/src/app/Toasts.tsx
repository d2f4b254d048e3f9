// The toasts' container, a chunk of its own (see App): imported by name so
// the bundler leaves it out of the first load, where only the store is.
import { Notifications } from '@mantine/notifications'

export default Notifications
