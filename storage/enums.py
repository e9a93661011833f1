"""Vocabularies stored as plain strings (portable across SQLite and PostgreSQL)."""

from __future__ import annotations

from enum import StrEnum


class UnitKind(StrEnum):
    VILLAGE = "village"  # thôn / tổ dân phố
    POLICE = "police"  # Công an xã
    MILITARY = "military"  # Ban CHQS xã
    AGENCY = "agency"  # cơ quan, ban ngành
    OFFICE = "office"  # Văn phòng HĐND&UBND
    PROVINCE = "province"  # cấp tỉnh (Công an tỉnh, UBND tỉnh): no commune of its own


class Role(StrEnum):
    VILLAGE_HEAD = "village_head"
    POLICE = "police"
    MILITIA = "militia"
    AGENCY_STAFF = "agency_staff"
    OFFICE_STAFF = "office_staff"
    LEADER = "leader"
    ADMIN = "admin"
    PROVINCE_POLICE = "province_police"  # Công an tỉnh (Phòng Quản lý xuất nhập cảnh)
    PROVINCE_LEADER = "province_leader"  # UBND tỉnh


#: Roles that see every commune of the installation; everyone else sees their own commune.
PROVINCE_ROLES = frozenset({Role.PROVINCE_POLICE.value, Role.PROVINCE_LEADER.value})


class Channel(StrEnum):
    TELEGRAM = "telegram"
    ZALO = "zalo"
    WEB = "web"


class Recurrence(StrEnum):
    NONE = "none"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class SubmissionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    AMENDED = "amended"


class IncidentStatus(StrEnum):
    NEW = "new"
    RECEIVED = "received"  # Đã tiếp nhận
    VERIFYING = "verifying"  # Đang xác minh
    HANDLED = "handled"  # Đã xử lý
    FALSE_REPORT = "false_report"  # Tin không chính xác


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"  # claimed by a sender; claimed_until says when the claim lapses
    RETRYING = "retrying"
    SENT = "sent"
    DEAD = "dead"


class AttachmentKind(StrEnum):
    PHOTO = "photo"
    VOICE = "voice"
    DOCUMENT = "document"
