package main

import "time"

// defaultSettingsTTL is how long a server trusts its copy of the config row.
const defaultSettingsTTL = 3 * time.Second
