#!/usr/bin/env bash
# start-dc.sh DC_DIR [IP]: for humans. Provisions the PassDesk test DC (provision-dc.sh) into DC_DIR and runs it in
# the foreground on IP (default 127.0.0.2) until Ctrl-C. Needs root (ports 389/636).
# Try:  LDAPTLS_CACERT=DC_DIR/tls/ca.pem ldapsearch -x -H ldaps://127.0.0.2 -D 'TEST\svc-reset' -w 'Svc!Reset2024' \
#         -b DC=test,DC=lan '(mail=john.smith@test.lan)'
set -euo pipefail
DC_DIR=$(realpath -m "${1:?usage: start-dc.sh DC_DIR [IP]}"); IP=${2:-127.0.0.2}
"$(dirname "$0")/provision-dc.sh" "$DC_DIR" "$IP"
echo "CA: $DC_DIR/tls/ca.pem   admin: TEST\\Administrator / Passw0rd!Admin   users: Init1al!Pass"
exec samba -i -M single -s "$DC_DIR/etc/smb.conf"
