# Every library of the network scripts, in dependency order (each later file uses names from the
# earlier ones). The libraries only define variables and functions, so a script sources all of them.
LIB="$(dirname "${BASH_SOURCE[0]}")"
source "$LIB/common.sh"
source "$LIB/crypto.sh"
source "$LIB/configtx.sh"
source "$LIB/nodes.sh"
source "$LIB/channel.sh"
source "$LIB/chaincode.sh"
source "$LIB/clients.sh"
source "$LIB/users.sh"
unset LIB
