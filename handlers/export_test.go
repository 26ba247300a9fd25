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
