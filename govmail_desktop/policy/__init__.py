"""The domestic-server policy and the recipient/attachment rules (pure Python, no Qt).

Entry points: ``sources.load_machine_policy()`` (what the app runs with),
``sources.load_policy_file(path)`` (test/demo policies), and the
``EffectivePolicy`` they return (``server_policy()``, ``locked_settings()``,
``check_account_address()``, ``recipient_policy()``, ``attachment_rules()``).
The contract with net/ is ``api.py``.
"""
