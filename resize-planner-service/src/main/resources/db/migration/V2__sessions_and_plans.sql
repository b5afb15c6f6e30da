-- The planner's view of clone sessions (from clone-service's events) and every version of every
-- target plan. Plans are never updated in place: an analysis or an operator's edit adds a version.

create table clone_session (
    session_id       text        primary key,
    mode             text        not null,          -- staged | direct
    source_node_id   text,
    source_disk_id   text,                          -- the source disk's stable id
    resize_mode      text        not null,          -- NONE | SHRINK_SOURCE | GROW_TARGET
    targets          text        not null,          -- JSON list of {node_id, disk_id}, in the session's order
    status           text        not null,          -- DEFINED | SOURCE_CAPTURED | COMPLETED | CANCELLED | FAILED
    capture_layout   text,                          -- JSON CaptureLayout every target plan starts from;
                                                    -- frozen once the source has been captured
    defined_at       timestamptz not null,
    updated_at       timestamptz not null
);

create table resize_plan (
    session_id       text        not null references clone_session (session_id) on delete cascade,
    target_node_id   text        not null,
    target_disk_id   text        not null,
    version          integer     not null,          -- 1, 2, ... per target; the highest is current
    origin           text        not null,          -- COMPUTED | EDITED
    feasible         boolean     not null,
    plan             text        not null,          -- JSON ResizePlan, exactly as published
    basis            text        not null,          -- JSON PlanBasis (capture layout + target disk) edits are checked against
    options          text        not null,          -- JSON PlanOptions of the analysis this version descends from
    created_at       timestamptz not null,
    primary key (session_id, target_node_id, target_disk_id, version)
);
