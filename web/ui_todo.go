package web

import "net/http"

// Handlers not written yet (UI). Each returns errNotYet until it is.

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error       { return errNotYet }
func (s *Server) mapPage(w http.ResponseWriter, r *http.Request) error         { return errNotYet }
func (s *Server) personsPage(w http.ResponseWriter, r *http.Request) error     { return errNotYet }
func (s *Server) personPage(w http.ResponseWriter, r *http.Request) error      { return errNotYet }
func (s *Server) facilitiesPage(w http.ResponseWriter, r *http.Request) error  { return errNotYet }
func (s *Server) facilityPage(w http.ResponseWriter, r *http.Request) error    { return errNotYet }
func (s *Server) allocationsPage(w http.ResponseWriter, r *http.Request) error { return errNotYet }
func (s *Server) movesPage(w http.ResponseWriter, r *http.Request) error       { return errNotYet }
func (s *Server) movePage(w http.ResponseWriter, r *http.Request) error        { return errNotYet }
func (s *Server) fieldPage(w http.ResponseWriter, r *http.Request) error       { return errNotYet }
func (s *Server) fieldAction(w http.ResponseWriter, r *http.Request) error     { return errNotYet }
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error       { return errNotYet }
func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error       { return errNotYet }
func (s *Server) addUserForm(w http.ResponseWriter, r *http.Request) error     { return errNotYet }
func (s *Server) disableUserForm(w http.ResponseWriter, r *http.Request) error { return errNotYet }
