package web

import "net/http"

// Handlers not written yet (API). Each returns errNotYet until it is.

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error             { return errNotYet }
func (s *Server) apiStatus(w http.ResponseWriter, r *http.Request) error           { return errNotYet }
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error               { return errNotYet }
func (s *Server) apiStats(w http.ResponseWriter, r *http.Request) error            { return errNotYet }
func (s *Server) apiAuthorities(w http.ResponseWriter, r *http.Request) error      { return errNotYet }
func (s *Server) apiFacilities(w http.ResponseWriter, r *http.Request) error       { return errNotYet }
func (s *Server) apiFacility(w http.ResponseWriter, r *http.Request) error         { return errNotYet }
func (s *Server) apiFacilityRoll(w http.ResponseWriter, r *http.Request) error     { return errNotYet }
func (s *Server) apiPersons(w http.ResponseWriter, r *http.Request) error          { return errNotYet }
func (s *Server) apiPerson(w http.ResponseWriter, r *http.Request) error           { return errNotYet }
func (s *Server) apiWhereabouts(w http.ResponseWriter, r *http.Request) error      { return errNotYet }
func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request) error         { return errNotYet }
func (s *Server) apiPersonReads(w http.ResponseWriter, r *http.Request) error      { return errNotYet }
func (s *Server) apiEscapes(w http.ResponseWriter, r *http.Request) error          { return errNotYet }
func (s *Server) apiAllocations(w http.ResponseWriter, r *http.Request) error      { return errNotYet }
func (s *Server) apiAllocation(w http.ResponseWriter, r *http.Request) error       { return errNotYet }
func (s *Server) apiMoves(w http.ResponseWriter, r *http.Request) error            { return errNotYet }
func (s *Server) apiMove(w http.ResponseWriter, r *http.Request) error             { return errNotYet }
func (s *Server) apiAlerts(w http.ResponseWriter, r *http.Request) error           { return errNotYet }
func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request) error           { return errNotYet }
func (s *Server) apiEvent(w http.ResponseWriter, r *http.Request) error            { return errNotYet }
func (s *Server) apiProof(w http.ResponseWriter, r *http.Request) error            { return errNotYet }
func (s *Server) apiCheckpoint(w http.ResponseWriter, r *http.Request) error       { return errNotYet }
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error            { return errNotYet }
func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) error            { return errNotYet }
func (s *Server) apiAddUser(w http.ResponseWriter, r *http.Request) error          { return errNotYet }
func (s *Server) apiDisableUser(w http.ResponseWriter, r *http.Request) error      { return errNotYet }
func (s *Server) apiNewToken(w http.ResponseWriter, r *http.Request) error         { return errNotYet }
func (s *Server) apiRecord(w http.ResponseWriter, r *http.Request) error           { return errNotYet }
func (s *Server) apiIncident(w http.ResponseWriter, r *http.Request) error         { return errNotYet }
func (s *Server) apiCreateAllocation(w http.ResponseWriter, r *http.Request) error { return errNotYet }
func (s *Server) apiPlanMove(w http.ResponseWriter, r *http.Request) error         { return errNotYet }
func (s *Server) apiMoveAction(w http.ResponseWriter, r *http.Request) error       { return errNotYet }
