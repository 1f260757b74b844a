"""Campaigns (抽查计划) and the database side of their draws."""
