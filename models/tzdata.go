package models

// The IANA time-zone database is embedded so that every attribute time zone
// loads the same way on any host, even one without /usr/share/zoneinfo.
import _ "time/tzdata"
