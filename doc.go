// Package custody holds the domain of the custody system: the persons held,
// the authorities that hold them and the facilities they are held in, the
// events that change them, and the invariants every change must keep.
//
// The package is pure: it has no I/O. The log ([ledger]), the stores
// ([sqlstore]) and the user interfaces build on it. State is current state
// as a projection of the log; [State.Apply] is the only way to change it,
// and it either applies an event completely or not at all.
package custody
