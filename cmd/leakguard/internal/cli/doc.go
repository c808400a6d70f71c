// Package cli is leakguard's command line: cobra commands, flags, exit
// codes, the progress bar and the terminal. It is the top floor: it may
// import every other package, and nothing imports it.
package cli
