// Package views holds the templ components of ASR Board and the typed view
// models they render; it never queries the database.
package views
