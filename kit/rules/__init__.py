"""Pure rules of the service desk: no Flask, no database, time always passed in."""
