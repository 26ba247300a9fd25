package handlers

// Test-only exports.

// Commands lists the slash commands the router answers (for the app
// manifest and the console's help), from the router's table.
func Commands() []string {
	var names []string
	for _, rt := range commandRoutes {
		names = append(names, rt.names[0])
	}
	return names
}

// Shortcuts lists the callback IDs of the global shortcuts the manifests
// declare, from the router's table.
func Shortcuts() []string {
	var ids []string
	for _, it := range interactions {
		if it.manifest {
			ids = append(ids, it.ids...)
		}
	}
	return ids
}
