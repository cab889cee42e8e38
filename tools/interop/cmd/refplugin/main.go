// Command refplugin is a Go reference implementation of the gfsdk testdata
// datasource (plugin id gfsdk-testdata-datasource), written the way a Go
// plugin author would with grafana-plugin-sdk-go. It serves as the Go
// baseline in side-by-side benchmarks and as a known-good peer for the host's
// own tests.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// PluginID is the id in plugin.json.
const PluginID = "gfsdk-testdata-datasource"

func main() {
	if err := datasource.Manage(PluginID, NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error(err.Error())
		os.Exit(1)
	}
}
