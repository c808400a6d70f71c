package agent

import (
	"encoding/json"
	"errors"
	"strings"
)

// event is one hook event in neutral terms, read from any agent's JSON.
// The Ptr fields are the JSON Pointers of Input and Response in the
// payload, to tell which hits are in the tool's output.
type event struct {
	Event, Session, Cwd string
	Tool                string
	Input               json.RawMessage
	InputPtr            string
	Response            json.RawMessage
	ResponsePtr         string
	Prompt              *string
	// Cursor's own fields.
	FilePath string
	Content  *string
	Command  string
	// Gemini's BeforeModel / AfterModel.
	LLMRequest json.RawMessage
}

// wire holds every field of every protocol that the guard reads; unknown
// fields are ignored.
type wire struct {
	Event          string          `json:"hook_event_name"`
	Session        string          `json:"session_id"`
	Cwd            string          `json:"cwd"`
	ToolName       string          `json:"tool_name"`
	ToolInput      json.RawMessage `json:"tool_input"`
	ToolResponse   json.RawMessage `json:"tool_response"`
	Prompt         *string         `json:"prompt"`
	LLMRequest     json.RawMessage `json:"llm_request"`
	FilePath       string          `json:"file_path"`
	Content        *string         `json:"content"`
	Command        string          `json:"command"`
	ConversationID string          `json:"conversation_id"`
	WorkspaceRoots []string        `json:"workspace_roots"`
	// Copilot (camelCase).
	HookEventName string          `json:"hookEventName"`
	SessionID     string          `json:"sessionId"`
	ToolNameC     string          `json:"toolName"`
	ToolArgs      json.RawMessage `json:"toolArgs"`
	ToolResult    json.RawMessage `json:"toolResult"`
	// Windsurf.
	Action     string          `json:"agent_action_name"`
	Trajectory string          `json:"trajectory_id"`
	ToolInfo   json.RawMessage `json:"tool_info"`
	// Cline.
	HookName    string     `json:"hookName"`
	TaskID      string     `json:"taskId"`
	Roots       []string   `json:"workspaceRoots"`
	ClinePre    *clineTool `json:"preToolUse"`
	ClinePost   *clineTool `json:"postToolUse"`
	ClinePrompt *struct {
		Prompt string `json:"prompt"`
	} `json:"userPromptSubmit"`
}

type clineTool struct {
	ToolName   string          `json:"toolName"`
	Parameters json.RawMessage `json:"parameters"`
	Result     json.RawMessage `json:"result"`
}

var errNotObject = errors.New("the event is not a JSON object")

// parseEvent reads the event of agent a; name is the event's name when
// the agent does not put it in the JSON (Copilot).
func parseEvent(a Agent, payload []byte, name string) (*event, error) {
	var w wire
	if err := json.Unmarshal(payload, &w); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field == "" {
			return nil, errNotObject
		}
		return nil, err
	}
	ev := &event{Event: w.Event, Session: w.Session, Cwd: w.Cwd, Tool: w.ToolName,
		Input: w.ToolInput, InputPtr: "/tool_input", Response: w.ToolResponse, ResponsePtr: "/tool_response",
		Prompt: w.Prompt, LLMRequest: w.LLMRequest, FilePath: w.FilePath, Content: w.Content, Command: w.Command}
	switch a {
	case Cursor:
		if ev.Session == "" {
			ev.Session = w.ConversationID
		}
		if ev.Cwd == "" && len(w.WorkspaceRoots) > 0 {
			ev.Cwd = w.WorkspaceRoots[0]
		}
	case Copilot:
		ev.Event = firstOf(name, w.HookEventName, w.Event)
		ev.Session = firstOf(w.SessionID, w.Session)
		ev.Tool = w.ToolNameC
		ev.Input, ev.InputPtr = w.ToolArgs, "/toolArgs"
		// toolArgs has been a JSON string holding the object.
		var s string
		if json.Unmarshal(w.ToolArgs, &s) == nil {
			ev.Input = json.RawMessage(s)
		}
		ev.Response, ev.ResponsePtr = w.ToolResult, "/toolResult"
	case Windsurf:
		ev.Event = w.Action
		ev.Session = w.Trajectory
		ev.Input, ev.InputPtr = w.ToolInfo, "/tool_info"
		var info struct {
			Cwd        string          `json:"cwd"`
			Prompt     *string         `json:"user_prompt"`
			MCPTool    string          `json:"mcp_tool_name"`
			MCPServer  string          `json:"mcp_server_name"`
			MCPResult  json.RawMessage `json:"mcp_result"`
			CommandLin string          `json:"command_line"`
		}
		_ = json.Unmarshal(w.ToolInfo, &info)
		ev.Cwd, ev.Prompt = info.Cwd, info.Prompt
		ev.Tool = strings.TrimPrefix(strings.TrimPrefix(w.Action, "pre_"), "post_")
		if info.MCPTool != "" {
			ev.Tool = "mcp__" + info.MCPServer + "__" + info.MCPTool
		}
		if strings.HasPrefix(w.Action, "post_") {
			ev.Response, ev.ResponsePtr = w.ToolInfo, "/tool_info"
		}
	case Cline:
		ev.Event, ev.Session = w.HookName, w.TaskID
		if n, ok := clineCLIHooks[w.HookName]; ok {
			ev.Event = n
		}
		if len(w.Roots) > 0 {
			ev.Cwd = w.Roots[0]
		}
		switch {
		case w.ClinePre != nil:
			ev.Tool, ev.Input, ev.InputPtr = w.ClinePre.ToolName, w.ClinePre.Parameters, "/preToolUse/parameters"
		case w.ClinePost != nil:
			ev.Tool, ev.Input, ev.InputPtr = w.ClinePost.ToolName, w.ClinePost.Parameters, "/postToolUse/parameters"
			ev.Response, ev.ResponsePtr = w.ClinePost.Result, "/postToolUse/result"
		}
		if w.ClinePrompt != nil {
			p := w.ClinePrompt.Prompt
			ev.Prompt = &p
		}
	}
	if ev.Event == "" {
		ev.Event = name
	}
	return ev, nil
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// clineCLIHooks are the hook names the Cline CLI (3.x) puts in an event,
// with the hook (file) name they stand for; the payload also carries the
// extension's fields (preToolUse, postToolUse, userPromptSubmit).
var clineCLIHooks = map[string]string{
	"tool_call": "PreToolUse", "tool_result": "PostToolUse", "prompt_submit": "UserPromptSubmit",
	"agent_start": "TaskStart", "agent_resume": "TaskResume", "agent_end": "TaskComplete",
	"agent_abort": "TaskCancel", "agent_error": "TaskError", "session_shutdown": "SessionShutdown",
}
