// Package gh is catalint's side of GitHub Actions: it reads the run's
// environment and event payload (which pull request, from a fork or not,
// against which base), writes the step summary and step outputs, and keeps
// one up-to-date comment on the pull request.
//
// It follows GitHub's documented behaviour:
//
//   - the default environment variables of a run (GITHUB_ACTIONS,
//     GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY,
//     GITHUB_API_URL, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, …);
//   - a step summary holds at most 1 MiB: more and the upload fails (with an
//     error annotation, the step does not fail), so WriteSummary cuts it;
//   - multiline step outputs use "name<<DELIMITER" … "DELIMITER", with a
//     delimiter that must not occur on a line of its own in the value, so
//     WriteOutputs uses a random one, as @actions/core does;
//   - an issue or pull request comment holds at most 65,536 characters;
//   - pull request comments are issue comments: listed 100 a page
//     (following the Link header), created with POST, updated with PATCH;
//   - the GITHUB_TOKEN of a run is an installation token: it cannot read
//     /user (403 "Resource not accessible by integration"), so the comment
//     is found by a hidden marker, never by the token's login; and it is
//     read-only in pull requests from forks (pull_request event), so a 403
//     on writing the comment is a notice, not a failure.
package gh

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Env is what catalint reads of a GitHub Actions run.
type Env struct {
	// Actions is true when GitHub Actions runs the process
	// (GITHUB_ACTIONS=true).
	Actions bool
	// EventName is the event that started the workflow (GITHUB_EVENT_NAME:
	// pull_request, push, …); EventPath the file holding its webhook
	// payload (GITHUB_EVENT_PATH).
	EventName, EventPath string
	// Repository is "owner/name" (GITHUB_REPOSITORY).
	Repository string
	// APIURL is the REST API's URL (GITHUB_API_URL; https://api.github.com
	// when unset). ServerURL is the web URL (GITHUB_SERVER_URL;
	// https://github.com when unset).
	APIURL, ServerURL string
	// RunID is the workflow run's id (GITHUB_RUN_ID), for a link to it.
	RunID string
	// StepSummary is the step's summary file (GITHUB_STEP_SUMMARY); Output
	// its output file (GITHUB_OUTPUT).
	StepSummary, Output string
	// Token authenticates API requests: GITHUB_TOKEN, else GH_TOKEN, else
	// INPUT_TOKEN (an action's "token" input). TokenVar names the variable
	// it came from ("" when none is set). Neither String nor GoString
	// prints it.
	Token, TokenVar string
}

// Defaults of the URLs when the variables are unset.
const (
	DefaultAPIURL    = "https://api.github.com"
	DefaultServerURL = "https://github.com"
)

// EnvFrom reads the environment through getenv (os.Getenv, or a map's
// lookup in tests).
func EnvFrom(getenv func(string) string) Env {
	e := Env{
		Actions:     getenv("GITHUB_ACTIONS") == "true",
		EventName:   getenv("GITHUB_EVENT_NAME"),
		EventPath:   getenv("GITHUB_EVENT_PATH"),
		Repository:  getenv("GITHUB_REPOSITORY"),
		APIURL:      strings.TrimRight(getenv("GITHUB_API_URL"), "/"),
		ServerURL:   strings.TrimRight(getenv("GITHUB_SERVER_URL"), "/"),
		RunID:       getenv("GITHUB_RUN_ID"),
		StepSummary: getenv("GITHUB_STEP_SUMMARY"),
		Output:      getenv("GITHUB_OUTPUT"),
	}
	if e.APIURL == "" {
		e.APIURL = DefaultAPIURL
	}
	if e.ServerURL == "" {
		e.ServerURL = DefaultServerURL
	}
	for _, v := range []string{"GITHUB_TOKEN", "GH_TOKEN", "INPUT_TOKEN"} {
		if t := strings.TrimSpace(getenv(v)); t != "" {
			e.Token, e.TokenVar = t, v
			break
		}
	}
	return e
}

// RunURL is the address of the workflow run, "" when unknown.
func (e Env) RunURL() string {
	if e.RunID == "" || e.Repository == "" {
		return ""
	}
	return e.ServerURL + "/" + e.Repository + "/actions/runs/" + e.RunID
}

// String describes the environment without the token.
func (e Env) String() string {
	tok := "unset"
	if e.Token != "" {
		tok = "set from " + e.TokenVar
	}
	return fmt.Sprintf("{Actions:%t EventName:%q EventPath:%q Repository:%q APIURL:%q ServerURL:%q RunID:%q StepSummary:%q Output:%q Token:%s}",
		e.Actions, e.EventName, e.EventPath, e.Repository, e.APIURL, e.ServerURL, e.RunID, e.StepSummary, e.Output, tok)
}

// GoString is String, so that %#v does not print the token either.
func (e Env) GoString() string { return "gh.Env" + e.String() }

// PullRequest is the pull request a run is for.
type PullRequest struct {
	// Number is the pull request's number; Owner and Repo name the
	// repository it is in (the base repository), where its comments are.
	Number      int
	Owner, Repo string
	// BaseSHA and BaseRef are the base branch's commit (at the time of the
	// event) and name ("main").
	BaseSHA, BaseRef string
	// HeadSHA and HeadRef are the head commit and branch; HeadRepo is the
	// head repository's "owner/name", "" when it was deleted.
	HeadSHA, HeadRef, HeadRepo string
	// Fork is true when the head repository is not the base repository
	// (or was deleted). A pull_request run from a fork gets a read-only
	// GITHUB_TOKEN; a pull_request_target run does not.
	Fork bool
	// Event is the event name (pull_request, pull_request_target, …).
	Event string
	// HTMLURL is the pull request's web address.
	HTMLURL string
}

// String is "owner/repo#12".
func (p *PullRequest) String() string {
	return fmt.Sprintf("%s/%s#%d", p.Owner, p.Repo, p.Number)
}

// pullRequestEvents are the events whose payload is about one pull request
// ("pull_request" key).
var pullRequestEvents = map[string]bool{
	"pull_request":                true,
	"pull_request_target":         true,
	"pull_request_review":         true,
	"pull_request_review_comment": true,
}

// maxEventSize bounds the event payload read.
const maxEventSize = 64 << 20

type eventRepo struct {
	FullName string `json:"full_name"`
	Name     string `json:"name"`
	Fork     bool   `json:"fork"`
	Owner    struct {
		Login string `json:"login"`
	} `json:"owner"`
}

type eventBranch struct {
	Ref  string     `json:"ref"`
	SHA  string     `json:"sha"`
	Repo *eventRepo `json:"repo"`
}

type eventPayload struct {
	Number      int `json:"number"`
	PullRequest *struct {
		Number  int         `json:"number"`
		HTMLURL string      `json:"html_url"`
		Head    eventBranch `json:"head"`
		Base    eventBranch `json:"base"`
	} `json:"pull_request"`
	Repository *eventRepo `json:"repository"`
}

// PullRequest reads the event payload and returns the pull request the
// run is for: nil, nil when the event is not about a pull request (push,
// schedule, …, or no event outside Actions).
func (e Env) PullRequest() (*PullRequest, error) {
	if !pullRequestEvents[e.EventName] {
		return nil, nil
	}
	if e.EventPath == "" {
		return nil, fmt.Errorf("github event %s: GITHUB_EVENT_PATH is not set", e.EventName)
	}
	f, err := os.Open(e.EventPath)
	if err != nil {
		return nil, fmt.Errorf("github event %s: %w", e.EventName, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxEventSize+1))
	if err != nil {
		return nil, fmt.Errorf("github event %s: read %s: %w", e.EventName, e.EventPath, err)
	}
	if len(data) > maxEventSize {
		return nil, fmt.Errorf("github event %s: %s is larger than %d MiB", e.EventName, e.EventPath, maxEventSize>>20)
	}
	var ev eventPayload
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, fmt.Errorf("github event %s: %s is not a webhook payload: %w", e.EventName, e.EventPath, err)
	}
	if ev.PullRequest == nil {
		return nil, fmt.Errorf("github event %s: %s has no pull_request", e.EventName, e.EventPath)
	}
	pr := ev.PullRequest
	out := &PullRequest{
		Number: pr.Number, Event: e.EventName, HTMLURL: pr.HTMLURL,
		BaseSHA: pr.Base.SHA, BaseRef: pr.Base.Ref,
		HeadSHA: pr.Head.SHA, HeadRef: pr.Head.Ref,
	}
	if out.Number == 0 {
		out.Number = ev.Number
	}
	// The comments are in the base repository: the payload's base repo,
	// else the event's repository, else GITHUB_REPOSITORY.
	base := ""
	switch {
	case pr.Base.Repo != nil && pr.Base.Repo.FullName != "":
		base = pr.Base.Repo.FullName
	case ev.Repository != nil && ev.Repository.FullName != "":
		base = ev.Repository.FullName
	default:
		base = e.Repository
	}
	owner, repo, ok := strings.Cut(base, "/")
	if !ok || !validName(owner) || !validName(repo) {
		return nil, fmt.Errorf("github event %s: repository %q is not \"owner/name\"", e.EventName, base)
	}
	out.Owner, out.Repo = owner, repo
	if out.Number <= 0 {
		return nil, errors.New("github event " + e.EventName + ": the payload has no pull request number")
	}
	if pr.Head.Repo != nil {
		out.HeadRepo = pr.Head.Repo.FullName
	}
	// head.repo.fork says the head repository is a fork of something; a
	// same-repository pull request in a forked repository has it too. What
	// matters is whether head and base differ. A deleted head repository
	// (head.repo null) came from a fork.
	out.Fork = out.HeadRepo == "" || !strings.EqualFold(out.HeadRepo, base)
	return out, nil
}

// validName accepts GitHub's owner and repository name characters, so that
// a name cannot change the path of a request.
func validName(s string) bool {
	if s == "" || len(s) > 100 || s == "." || s == ".." {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
