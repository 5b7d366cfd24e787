#ifndef REMIT_CSODIUM_SHIM_H
#define REMIT_CSODIUM_SHIM_H
#include <sodium.h>
#endif
