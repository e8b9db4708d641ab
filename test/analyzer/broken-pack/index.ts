// Fails while loading, before it serves anything: the driver must name this folder and show stderr.
throw new Error("broken-pack refuses to start");
